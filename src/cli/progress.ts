import type { PolicyRecommendation } from '../types.js';

/** How often the line is redrawn: often enough to feel alive, rarely enough to cost nothing. */
const REDRAW_MS = 250;

/**
 * One self-overwriting status line on stderr (stdout carries only data): done/total, rate, ETA
 * and failures. `total` grows while the list is still being read, so the ETA appears once the
 * whole list is known.
 */
export class Progress {
  private read = 0;
  private done = 0;
  private unknown = 0;
  private inputDone = false;
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(private readonly out: NodeJS.WriteStream, private readonly enabled: boolean) {}

  entryRead(): void {
    this.read++;
    this.draw();
  }

  inputFinished(): void {
    this.inputDone = true;
  }

  domainDone(rec: PolicyRecommendation): void {
    this.done++;
    if (rec.kind === 'unknown') this.unknown++;
    this.draw();
  }

  /** Clears the line so the shell prompt or a final message starts clean. */
  finish(): void {
    if (this.enabled && this.lastDraw > 0) this.out.write('\r\x1b[K');
  }

  line(now: number = Date.now()): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = this.done / seconds;
    const total = this.inputDone ? `${this.read}` : `${this.read}+`;
    const eta = this.inputDone && rate > 0 ? `, ETA ${duration((this.read - this.done) / rate)}` : '';
    return `mxtls: ${this.done}/${total} domains, ${rate.toFixed(1)}/s${eta}, ${this.unknown} unknown`;
  }

  private draw(): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.out.write(`\r\x1b[K${this.line(now)}`);
  }
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
