/** Pages for account holders before they are signed in: register, sign in, codes, reset. */
import { html, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import {
  documentTypeRadios,
  errorSummary,
  input,
  postForm,
  radios,
  submitButton,
  titleWithErrors,
  type FormState,
} from './form-views.ts';
import { identityPaths } from './identity-paths.ts';

export type PageRequest = Readonly<{ csrfToken: () => string }>;

export type View = Readonly<{ context: PageContext; request: PageRequest }>;

function page(view: View, title: string, form: FormState, main: SafeHtml): string {
  return renderPage(view.context, {
    title: titleWithErrors(view.context.t, title, form),
    main: html`${errorSummary(view.context.t, form)}${main}`,
  });
}

/** `path`, carrying `return=` unless it is the account page (where signing in goes anyway). */
export function withReturnTo(path: string, returnTo: string): string {
  return returnTo === identityPaths.account ? path
    : `${path}?${new URLSearchParams({ return: returnTo }).toString()}`;
}

export function registerPage(
  view: View,
  form: FormState,
  returnTo: string = identityPaths.account,
): string {
  const { t } = view.context;
  const fields = html`${documentTypeRadios(t, form)}
${input(t, form, { name: 'documentNumber', label: t('identity.field.documentNumber'),
    hint: t('identity.field.documentNumberHint'), autocomplete: 'off', spellcheck: false,
    maxLength: 20 })}
${input(t, form, { name: 'firstName', label: t('identity.field.firstName'),
    hint: t('identity.field.firstNameHint'), autocomplete: 'given-name', spellcheck: false,
    maxLength: 100 })}
${input(t, form, { name: 'birthYear', label: t('identity.field.birthYear'),
    hint: t('identity.field.birthYearHint'), inputmode: 'numeric', autocomplete: 'bday-year',
    maxLength: 4 })}
${input(t, form, { name: 'phone', label: t('identity.field.phone'),
    hint: t('identity.field.phoneHint'), type: 'tel', autocomplete: 'tel', maxLength: 20 })}
${input(t, form, { name: 'email', label: t('identity.field.emailOptional'), type: 'email',
    autocomplete: 'email', spellcheck: false, maxLength: 254 })}
${radios(t, form, { name: 'codeChannel', legend: t('identity.field.codeChannel'), choices: [
    { value: 'sms', label: t('identity.channel.sms') },
    { value: 'email', label: t('identity.channel.email') },
  ] })}
${input(t, form, { name: 'password', label: t('identity.field.newPassword'),
    hint: t('identity.field.newPasswordHint'), type: 'password',
    autocomplete: 'new-password', keepValue: false })}
${submitButton(t('identity.register.submit'))}`;
  return page(view, t('identity.register.title'), form, html`<h1>${
    t('identity.register.title')}</h1>
<p class="lede">${t('identity.register.lede')}</p>
${postForm(view.request, withReturnTo(identityPaths.register, returnTo), fields)}
<p><a href="${withReturnTo(identityPaths.signIn, returnTo)}">${
  t('identity.register.haveAccount')}</a></p>`);
}

export function signInPage(
  view: View,
  form: FormState,
  options: Readonly<{ returnTo: string; notice?: string | undefined }>,
): string {
  const { t } = view.context;
  const action = withReturnTo(identityPaths.signIn, options.returnTo);
  const fields = html`${documentTypeRadios(t, form)}
${input(t, form, { name: 'documentNumber', label: t('identity.field.documentNumber'),
    autocomplete: 'username', spellcheck: false, maxLength: 20 })}
${input(t, form, { name: 'password', label: t('identity.field.password'), type: 'password',
    autocomplete: 'current-password', keepValue: false })}
${submitButton(t('identity.signIn.submit'))}`;
  const notice = options.notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(options.notice)}</p></div>`;
  return page(view, t('identity.signIn.title'), form, html`${notice}<h1>${
    t('identity.signIn.title')}</h1>
${postForm(view.request, action, fields)}
<ul class="links">
<li><a href="${identityPaths.passwordReset}">${t('identity.signIn.forgotten')}</a></li>
<li><a href="${withReturnTo(identityPaths.register, options.returnTo)}">${
  t('identity.signIn.register')}</a></li>
<li><a href="${identityPaths.staffSignIn}">${t('identity.signIn.staff')}</a></li>
</ul>`);
}

export type CodePageOptions = Readonly<{
  action: string;
  /** Where "start again" goes. */
  restart: string;
  /** Already masked ("•••• 5678"), or undefined to say it vaguely (password reset). */
  sentTo: string | undefined;
  channel: 'sms' | 'email' | undefined;
  submitKey: string;
  withNewPassword?: boolean;
  /** The challenge cannot take codes any more (locked, expired, gone): no form. */
  closed?: boolean;
}>;

export function codePage(view: View, form: FormState, options: CodePageOptions): string {
  const { t } = view.context;
  const title = t(options.channel === 'email' ? 'identity.code.titleEmail'
    : options.channel === 'sms' ? 'identity.code.titlePhone' : 'identity.code.titleAny');
  const sentTo = options.sentTo === undefined ? t('identity.code.sentVaguely')
    : t('identity.code.sentTo', { destination: options.sentTo });
  const fields = html`${input(t, form, { name: 'code', label: t('identity.field.code'),
    hint: t('identity.field.codeHint'), inputmode: 'numeric', autocomplete: 'one-time-code',
    keepValue: false, maxLength: 12 })}
${options.withNewPassword === true ? input(t, form, { name: 'password',
    label: t('identity.field.newPassword'), hint: t('identity.field.newPasswordHint'),
    type: 'password', autocomplete: 'new-password', keepValue: false }) : ''}
${submitButton(t(options.submitKey))}`;
  const body = options.closed === true ? html``
    : html`<p>${sentTo}</p>${postForm(view.request, options.action, fields)}`;
  return page(view, title, form, html`<h1>${title}</h1>
${body}
<p><a href="${options.restart}">${t('identity.code.restart')}</a></p>`);
}

export function passwordResetPage(view: View, form: FormState): string {
  const { t } = view.context;
  const fields = html`${documentTypeRadios(t, form)}
${input(t, form, { name: 'documentNumber', label: t('identity.field.documentNumber'),
    autocomplete: 'username', spellcheck: false, maxLength: 20 })}
${submitButton(t('identity.reset.submit'))}`;
  return page(view, t('identity.reset.title'), form, html`<h1>${t('identity.reset.title')}</h1>
<p>${t('identity.reset.lede')}</p>
${postForm(view.request, identityPaths.passwordReset, fields)}`);
}

/** The page for a refused request: not allowed, or a form whose token is stale. */
export function refusalPage(context: PageContext, kind: 'forbidden' | 'csrf'): string {
  const { t } = context;
  return renderPage(context, {
    title: t(`identity.refused.${kind}.title`),
    main: html`<h1>${t(`identity.refused.${kind}.title`)}</h1>
<p>${t(`identity.refused.${kind}.body`)}</p>
<p><a href="/">${t('identity.refused.home')}</a></p>`,
  });
}

/** A page that only says something, with one link onward. */
export function messagePage(
  context: PageContext,
  options: Readonly<{ titleKey: string; bodyKey?: string;
    link: Readonly<{ href: string; labelKey: string }> }>,
): string {
  const { t } = context;
  return renderPage(context, {
    title: t(options.titleKey),
    main: html`<h1>${t(options.titleKey)}</h1>
${options.bodyKey === undefined ? '' : html`<p>${t(options.bodyKey)}</p>`}
<p><a href="${options.link.href}">${t(options.link.labelKey)}</a></p>`,
  });
}
