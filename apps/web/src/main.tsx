import '@picocss/pico/css/pico.min.css';
import './app/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadOutlines } from './map/outlines';

// A storm page opened directly (a link, a reload) draws a map: fetch the outlines' chunk now, beside the session
// check, rather than after it, when the map's data requests keep the server busy (the embedded database shares
// its event loop with the static files). Other pages never load it.
if (/^\/storms\/[^/]+\/?$/.test(window.location.pathname)) void loadOutlines().catch(() => undefined);

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
