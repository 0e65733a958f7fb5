/** A one-line progress bar on a terminal; silent elsewhere (CI logs stay readable). */
export class Progress {
  private readonly start = Date.now();
  private done = 0;
  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(): void {
    this.done++;
    if (!this.stream.isTTY) return;
    const width = 30;
    const filled = Math.round((this.done / this.total) * width);
    const rate = this.done / Math.max(1e-3, (Date.now() - this.start) / 1000);
    this.stream.write(
      `\r${this.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.done}/${this.total} ${rate.toFixed(1)}/s`,
    );
    if (this.done === this.total) this.stream.write("\n");
  }
}
