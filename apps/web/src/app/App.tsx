/**
 * The app's routes. Public: the onboarding page. Everything else sits behind the sign-in gate: a signed-out person
 * sees the sign-in page at whatever address they opened, and lands there once signed in. Pages beyond the first are
 * loaded on demand, so the sign-in page's JavaScript stays small.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { isStaff, useSession } from '../api/session';
import { ErrorNote, Loading } from '../components/Async';
import { SignInPage } from '../pages/SignInPage';
import { Layout } from './Layout';

const OnboardingPage = lazy(() => import('../pages/OnboardingPage'));
const SetPasswordPage = lazy(() => import('../pages/SetPasswordPage'));
const StormsPage = lazy(() => import('../pages/StormsPage'));
const StormPage = lazy(() => import('../pages/StormPage'));
const ReportPage = lazy(() => import('../pages/ReportPage'));
const CanvassPage = lazy(() => import('../pages/CanvassPage'));
const ModelsPage = lazy(() => import('../pages/ModelsPage'));
const SloPage = lazy(() => import('../pages/SloPage'));
const TeamPage = lazy(() => import('../pages/TeamPage'));
const AuditPage = lazy(() => import('../pages/AuditPage'));
const BillingPage = lazy(() => import('../pages/BillingPage'));
const CustomerHealthPage = lazy(() => import('../pages/CustomerHealthPage'));

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Suspense fallback={<Loading what="page" />}>
        <Switch>
          <Route path="/onboarding" component={OnboardingPage} />
          <Route path="/accept-invite">
            <SetPasswordPage mode="invite" />
          </Route>
          <Route path="/reset-password">
            <SetPasswordPage mode="reset" />
          </Route>
          <Route>
            <Gate />
          </Route>
        </Switch>
      </Suspense>
    </QueryClientProvider>
  );
}

function Gate() {
  const session = useSession();
  if (session.isPending) return <Loading what="your session" />;
  if (session.error) return <ErrorNote error={session.error} />;
  const me = session.data;
  if (!me) return <SignInPage />;
  const can = (a: string) => (me.permissions as readonly string[] | undefined)?.includes(a) ?? false;
  const home = isStaff(me)
    ? can('billing:read')
      ? '/customer-health'
      : '/slo'
    : can('properties:read')
      ? '/storms'
      : '/canvass';
  return (
    <Layout me={me}>
      <Suspense fallback={<Loading what="page" />}>
        <Switch>
          <Route path="/">
            <Redirect to={home} replace />
          </Route>
          <Route path="/sign-in">
            <Redirect to={home} replace />
          </Route>
          <Route path="/storms" component={StormsPage} />
          <Route path="/storms/:stormId/report">{(p) => <ReportPage stormId={p.stormId} />}</Route>
          <Route path="/storms/:stormId">{(p) => <StormPage stormId={p.stormId} />}</Route>
          <Route path="/canvass">
            <CanvassPage />
          </Route>
          <Route path="/canvass/:stormId">{(p) => <CanvassPage stormId={p.stormId} />}</Route>
          <Route path="/models" component={ModelsPage} />
          <Route path="/slo" component={SloPage} />
          <Route path="/team" component={TeamPage} />
          <Route path="/audit" component={AuditPage} />
          <Route path="/billing" component={BillingPage} />
          <Route path="/customer-health" component={CustomerHealthPage} />
          <Route>
            <h1>Page not found</h1>
            <p>
              <a href="/">Back to the start</a>
            </p>
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}
