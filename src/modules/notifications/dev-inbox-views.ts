/**
 * The development inbox: what the platform would have sent, newest first, under a banner that
 * cannot be missed. Plain HTML, no script.
 */
import { html, renderPage, summaryList, type PageContext, type SafeHtml } from '#web/index.ts';
import type { Notification } from './notification-repo.ts';

export function renderDevInbox(
  context: PageContext,
  notifications: readonly Notification[],
): string {
  const { t } = context;
  const list = notifications.length === 0
    ? html`<p>${t('notifications.devInbox.empty')}</p>`
    : html`<p>${t('notifications.devInbox.count', { count: notifications.length })}</p>
<ol class="results">${notifications.map((notification) => renderMessage(context, notification))}
</ol>`;
  return renderPage(context, {
    title: t('notifications.devInbox.title'),
    head: html`<meta name="robots" content="noindex">`,
    main: html`<div class="error-summary" role="note">
<p class="lede"><strong>${t('notifications.devInbox.banner')}</strong></p>
<p>${t('notifications.devInbox.explanation')}</p>
</div>
<h1>${t('notifications.devInbox.title')}</h1>
${list}`,
  });
}

function renderMessage(context: PageContext, notification: Notification): SafeHtml {
  const { t } = context;
  const headingId = `message-${notification.id}`;
  const subject = notification.subject === null
    ? html``
    : html`<p><strong>${t('notifications.devInbox.subject')}:</strong>
 <span lang="${notification.language}">${notification.subject}</span></p>`;
  return html`<li><article aria-labelledby="${headingId}">
<h2 id="${headingId}">${t(`notifications.channel.${notification.channel}`)}:
 ${notification.recipient}</h2>
${summaryList([
    [t('notifications.devInbox.template'), notification.template],
    [t('notifications.devInbox.language'), t(`notifications.language.${notification.language}`)],
    [t('notifications.devInbox.status'), t(`notifications.status.${notification.status}`)],
    [t('notifications.devInbox.createdAt'), formatTime(context, notification.createdAt)],
  ])}
${subject}
<p lang="${notification.language}">${withLineBreaks(notification.body)}</p>
</article></li>`;
}

function formatTime(context: PageContext, time: Date): SafeHtml {
  const text = new Intl.DateTimeFormat(`${context.language}-KE`, {
    dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Africa/Nairobi',
  }).format(time);
  return html`<time datetime="${time.toISOString()}">${text}</time>`;
}

/** Keeps the message's line breaks without a stylesheet rule. */
function withLineBreaks(text: string): SafeHtml {
  return html`${text.split('\n').map((line, index) => index === 0 ? line : html`<br>${line}`)}`;
}
