import { Pipe, type PipeTransform } from '@angular/core';

const sameDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const otherDay = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A message's time: "14:05" today, "Mar 3, 14:05" on other days. */
@Pipe({ name: 'messageTime' })
export class MessageTime implements PipeTransform {
  transform(iso: string, now: Date = new Date()): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    return (date.toDateString() === now.toDateString() ? sameDay : otherDay).format(date);
  }
}
