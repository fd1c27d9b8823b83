// How long a model call may stay silent and how long its reply may be: defaults every host shares, in a
// module light enough for the client bundle (the server's setting defaults are built from it).

/** Longest silence tolerated before the first piece of a reply and between pieces. */
export const defaultTimeoutMs = 60_000;

/** setTimeout's largest delay; a longer one fires at once (with Node's TimeoutOverflowWarning). */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * The longest reply kept, in characters (UTF-16 code units, as JavaScript counts them). A million is far
 * above what any model writes in one reply (128k output tokens are about 500,000 characters), and small
 * enough that a runaway or hostile server cannot fill memory: a turn's reply is resent with every later turn.
 */
export const defaultMaxReplyChars = 1_000_000;

/** The largest cap a host accepts: V8 strings stop near 2^29 characters, and the store keeps each reply whole. */
export const largestMaxReplyChars = 100_000_000;
