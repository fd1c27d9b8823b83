// Streaming follows the bottom of the transcript unless the user has scrolled up to read; then a "Jump to
// latest" control appears instead, and following resumes once they are back at the bottom.

const slack = 40;

export class BottomFollower {
  private following = true;

  constructor(private readonly jump: HTMLButtonElement) {
    // Scrolled away from the bottom, the user is reading: stop following and offer the way back.
    window.addEventListener('scroll', () => {
      this.following = atBottom();
      this.jump.hidden = this.following;
    });
    jump.addEventListener('click', () => this.follow());
  }

  /** New content was added: keep it in view, or say there is more below. */
  contentChanged(): void {
    if (this.following) scrollToBottom();
    else this.jump.hidden = atBottom();
  }

  /** The user sent a turn or asked for the latest: back to the bottom, following again. */
  follow(): void {
    this.following = true;
    this.jump.hidden = true;
    scrollToBottom();
  }
}

function root(): Element {
  return document.scrollingElement ?? document.documentElement;
}

function atBottom(): boolean {
  const r = root();
  return r.scrollHeight - r.scrollTop - r.clientHeight < slack;
}

function scrollToBottom(): void {
  const r = root();
  r.scrollTop = r.scrollHeight;
}
