import { ChangeDetectionStrategy, Component, signal, viewChild } from '@angular/core';

import { Conversation } from '../conversation/conversation';
import { KeyboardShortcuts } from '../shortcuts/keyboard-shortcuts';
import { Sidebar } from './sidebar';
import { TopBar } from './top-bar';

/** The signed-in screen: the top bar, the sidebar (a panel the user opens on narrow screens) and the open conversation. */
@Component({
  selector: 'hb-chat-layout',
  imports: [Conversation, KeyboardShortcuts, Sidebar, TopBar],
  templateUrl: './chat-layout.html',
  styleUrl: './chat-layout.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatLayout {
  private readonly conversation = viewChild.required(Conversation);
  protected readonly sidebarOpen = signal(false);

  protected toggleSidebar(): void {
    this.sidebarOpen.update((open) => !open);
  }

  /** The skip link: past the bar and the sidebar, straight to the message box. */
  protected skipToComposer(event: Event): void {
    event.preventDefault();
    this.conversation().focusComposer();
  }

  protected roomOpened(): void {
    this.sidebarOpen.set(false);
    this.conversation().focusComposer();
  }
}
