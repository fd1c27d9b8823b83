// OpenAI's `stop` for a model that streams text: the reply ends before the first occurrence of any stop
// sequence, which is never part of it, and nothing after it is streamed. A piece that may be the start of
// a stop sequence split across pieces is held back until the next piece tells. Linear in the reply: each
// piece is searched only where a match could newly begin.

export class StopSequences {
  private text = '';
  private emitted = 0;
  private readonly longest: number;
  /** Set once a stop sequence has ended the reply: the reply's length (the stop is not part of it). */
  stoppedAt?: number;
  /** The earliest complete stop seen, which ends the reply unless one that begins earlier completes. */
  private found?: number;

  constructor(
    private readonly stops: readonly string[],
    private readonly emit: (piece: string) => void,
  ) {
    this.stops = stops.filter((stop) => stop.length > 0);
    this.longest = Math.max(0, ...this.stops.map((stop) => stop.length));
  }

  /** Takes a piece; false once a stop sequence has ended the reply (generation should stop). */
  push(piece: string): boolean {
    if (this.stoppedAt !== undefined) return false;
    const from = Math.max(0, this.text.length - this.longest + 1);
    this.text += piece;
    const at = this.firstStop(from);
    if (at !== undefined && (this.found === undefined || at < this.found)) this.found = at;
    // Where a stop may still begin that the text so far has only started: "b\n\n" in "ab\n" begins
    // before the "\n" that is complete, and would end the reply earlier if the next piece completes it.
    const undecided = this.text.length - this.heldBack();
    if (this.found !== undefined && this.found <= undecided) {
      this.stopAt(this.found);
      return false;
    }
    this.flushTo(undecided);
    return true;
  }

  /** The reply so far (all of it once generation ended): text before the stop, or everything. */
  get reply(): string {
    return this.stoppedAt === undefined ? this.text : this.text.slice(0, this.stoppedAt);
  }

  /**
   * Generation ended: a stop seen while a longer one that would begin earlier was undecided ends the reply;
   * else what was held back is part of the reply after all.
   */
  end(): void {
    if (this.stoppedAt !== undefined) return;
    if (this.found !== undefined) this.stopAt(this.found);
    else this.flushTo(this.text.length);
  }

  private stopAt(at: number): void {
    this.stoppedAt = at;
    this.flushTo(at);
  }

  private firstStop(from: number): number | undefined {
    let first: number | undefined;
    for (const stop of this.stops) {
      const at = this.text.indexOf(stop, from);
      if (at >= 0 && (first === undefined || at < first)) first = at;
    }
    return first;
  }

  /** The longest end of the text that is the start of some stop sequence. */
  private heldBack(): number {
    for (let length = Math.min(this.longest - 1, this.text.length); length > 0; length--) {
      const end = this.text.slice(this.text.length - length);
      if (this.stops.some((stop) => stop.startsWith(end))) return length;
    }
    return 0;
  }

  private flushTo(end: number): void {
    if (end > this.emitted) this.emit(this.text.slice(this.emitted, end));
    this.emitted = Math.max(this.emitted, end);
  }
}
