/**
 * The library's one page we cannot draw ourselves: when a browser's provider session belongs
 * to another citizen than the one now signed in, oidc-provider answers with a self-submitting
 * form that ends the old session (lib/response_modes/form_post.js). Its markup has no language,
 * no heading, no main landmark and English text. The /oidc route passes the library's answer
 * through `accessibleFormPost`, which keeps the form, its fields and its script (the script's
 * hash is in the Content-Security-Policy) and adds the rest in the citizen's language.
 */
import { escapeHtml, type Language, type Translate } from '#web/index.ts';

const libraryTitle = '<title>Submitting Callback</title>';

/** True for the library's self-submitting form page. */
export function isLibraryFormPost(body: string): boolean {
  return body.includes(libraryTitle) && body.includes('<form method="post"');
}

export function accessibleFormPost(body: string, language: Language, t: Translate): string {
  const title = escapeHtml(t('federation.formPost.title'));
  const explanation = escapeHtml(t('federation.formPost.noScript'));
  const button = escapeHtml(t('federation.formPost.continue'));
  return body
    .replace('<html>', `<html lang="${language}">`)
    .replace(libraryTitle, `<title>${title}</title>\n  <meta name="viewport" ` +
      'content="width=device-width, initial-scale=1">')
    .replace('<body>', `<body>\n<main>\n<h1>${title}</h1>`)
    .replace('</body>', '</main>\n</body>')
    .replace(/<noscript>[\s\S]*<\/noscript>/,
      `<noscript>\n      <p>${explanation}</p>\n      <button autofocus type="submit">` +
      `${button}</button>\n    </noscript>`);
}
