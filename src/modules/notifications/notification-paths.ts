/** The notifications module's pages. */
export const notificationPaths = {
  devInbox: '/dev/inbox',
} as const;
