// The smallest harness that does the job: named checks, each passing or failing with
// a message that says what to fix, and one closing line `browser: N passed, M failed`.

export class Suite {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
  }

  /** Runs `fn`; a thrown error fails the check, a returned string is printed as a note. */
  async check(name, fn) {
    try {
      const note = await fn();
      this.passed += 1;
      console.log(`ok    ${name}${note ? ` — ${note}` : ''}`);
    } catch (err) {
      this.failed += 1;
      console.log(`FAIL  ${name}`);
      console.log(indent(err?.message ?? String(err)));
    }
  }

  skip(name, why) {
    this.skipped += 1;
    console.log(`skip  ${name} — ${why}`);
  }

  section(title) {
    console.log(`\n== ${title}`);
  }

  summary() {
    return `browser: ${this.passed} passed, ${this.failed} failed`;
  }
}

/** Fails the current check with `message` unless `cond` holds. */
export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}
