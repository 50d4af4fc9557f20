// Chat's events from the main process (issue 14), kept apart from main-link.ts so chat stays
// self-contained: a reply typed into an OS notification, a click on a message notification,
// and the tray's "unread messages" entry. Requests to main (notifications, links) are made by
// ChatState itself through the bridge.
import { on } from '../bridge';
import type { ChatState } from './chat.svelte';

/** Listens to main for chat; returns the function that stops listening. */
export function startChatLink(chat: ChatState): () => void {
  const offs = [
    on('notify/message-reply', ({ conversationId, text }) => {
      void chat.replyFromNotification(conversationId, text);
    }),
    on('notify/message-open', ({ conversationId }) => chat.openFromNotification(conversationId)),
    on('tray/action', (action) => {
      if (action.action === 'open-chat') {
        chat.showList();
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
