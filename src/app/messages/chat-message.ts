import type { Message } from '../../../contract';

/** Where a message stands from this browser's point of view. */
export type DeliveryStatus = 'pending' | 'failed' | 'sent';

/** A message as the chat shows it: the wire message plus its delivery status. */
export interface ChatMessage extends Message {
  readonly status: DeliveryStatus;
  /** For a failed message: whether sending again later may work (it failed for want of a server, not a rule). */
  readonly retryable?: boolean;
  /**
   * A reaction was applied to it past a change of it that never arrived (reaction-changes.ts
   * applyReactionChange): its other fields may be older than its `seq`, so the next server copy
   * replaces it even at the same `seq`.
   */
  readonly behind?: true;
}

/** The server's copy, field by field (a hub payload may carry more than the contract names). */
export function sent(message: Message): ChatMessage {
  const { seq, editedAt, deleted, reactions, replyTo, attachments, mentions, mentionsRoom } = message;
  return {
    id: message.id,
    room: message.room,
    text: message.text,
    sender: { id: message.sender.id, name: message.sender.name },
    sentAt: message.sentAt,
    ...(seq !== undefined && { seq }),
    ...(editedAt !== undefined && { editedAt }),
    ...(deleted && { deleted }),
    ...(reactions !== undefined && reactions.length > 0 && { reactions }),
    ...(replyTo !== undefined && { replyTo }),
    ...(attachments !== undefined && attachments.length > 0 && !deleted && { attachments }),
    ...(mentions !== undefined && mentions.length > 0 && { mentions: [...mentions] }),
    ...(mentionsRoom && { mentionsRoom }),
    status: 'sent',
  };
}
