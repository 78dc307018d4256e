import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

/**
 * A fenced code block: monospace, scrolling sideways rather than wrapping or widening the page
 * (focusable, so the keyboard can scroll it), with a Copy button that writes the code to the
 * clipboard and says whether it worked, on the button and to screen readers. "Copied" stays
 * until the button loses focus or the pointer leaves it, so nobody misses it.
 */
@Component({
  selector: 'hb-code-block',
  template: `
    <div class="bar">
      <span>{{ lang() }}</span>
      <button
        type="button"
        class="copy"
        data-testid="copy-code"
        (click)="copyCode()"
        (blur)="resetFeedback()"
        (mouseleave)="resetFeedback()"
      >
        {{ state() === 'copied' ? 'Copied' : 'Copy' }}<span class="visually-hidden"> code</span>
      </button>
    </div>
    <pre tabindex="0"><code>{{ code() }}</code></pre>
    <span class="visually-hidden" role="status">{{ announcement() }}</span>
    @if (state() === 'failed') {
      <span class="copy-failed" data-testid="copy-failed">Could not copy: select the code and copy it by hand.</span>
    }
  `,
  styleUrl: './code-block.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CodeBlock {
  readonly code = input.required<string>();
  readonly lang = input('');

  protected readonly state = signal<'idle' | 'copied' | 'failed'>('idle');
  protected readonly announcement = signal('');

  protected async copyCode(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.code());
      this.state.set('copied');
      this.announcement.set('Code copied to the clipboard');
    } catch {
      this.state.set('failed');
      this.announcement.set('Could not copy the code');
    }
  }

  protected resetFeedback(): void {
    if (this.state() !== 'copied') return;
    this.state.set('idle');
    this.announcement.set('');
  }
}
