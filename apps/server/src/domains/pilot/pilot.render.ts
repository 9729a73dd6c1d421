/** One entry point for `stormops pilot run --format`: results in, the report in the asked format out. */
import { AppError } from '../../errors.ts';
import { renderHtml } from './pilot.html.ts';
import { renderMarkdown } from './pilot.markdown.ts';
import { renderPdf } from './pilot.pdf.ts';
import type { PilotResults } from './pilot.results.ts';

import { PILOT_FORMATS, type PilotFormat } from './pilot-formats.ts';

export { PILOT_FORMATS, type PilotFormat };

/** File extension and media type of each format (for --out defaults and HTTP content-type). */
export const PILOT_MEDIA: Record<PilotFormat, { ext: string; type: string }> = {
  md: { ext: 'md', type: 'text/markdown; charset=utf-8' },
  html: { ext: 'html', type: 'text/html; charset=utf-8' },
  pdf: { ext: 'pdf', type: 'application/pdf' },
  json: { ext: 'json', type: 'application/json' },
};

/**
 * Renders the pilot report: a string for md/html/json, a Buffer for pdf.
 *
 * @example
 * await writeFile(`pilot.${PILOT_MEDIA[format].ext}`, await renderPilot(results, format));
 */
export async function renderPilot(results: PilotResults, format: PilotFormat): Promise<Buffer | string> {
  switch (format) {
    case 'md':
      return renderMarkdown(results);
    case 'html':
      return renderHtml(results);
    case 'pdf':
      return renderPdf(results);
    case 'json':
      return `${JSON.stringify(results, null, 2)}\n`;
    default:
      throw new AppError(
        'VALIDATION',
        `format: must be one of ${PILOT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
      );
  }
}
