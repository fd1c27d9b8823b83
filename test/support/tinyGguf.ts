// A tiny llama-architecture GGUF model, written by the tests themselves (no weights can be downloaded here).
//
// The model is a Markov chain in a transformer's clothes: every attention and feed-forward weight is zero,
// so the residual stream after the last layer is the last token's embedding, and the embedding of a token
// is the one-hot vector of its "state". The output matrix gives each state the logits of its successors,
// so the next token depends only on the previous one and the replies read as sentences from `chain` below:
// greedy decoding (temperature 0) always says the same thing, sampling picks among the branches by seed.
// The tokenizer is SentencePiece-style ("llama"): specials, the 256 byte tokens of byte fallback, and the
// chain's words. Its chat template is ChatML, in the GGUF metadata as real models carry it.
//
// GGUF v3: header, metadata key/values, tensor infos, padding to `general.alignment`, tensor data (F32).

import { writeFileSync } from 'node:fs';

/** The tokens the chain speaks, each with its successors and their probabilities. `<end>` ends the reply. */
const chain: Record<string, Record<string, number>> = {
  '<start>': { Hello: 0.6, I: 0.4 },
  Hello: { '!': 1 },
  '!': { '▁I': 1 },
  I: { '▁am': 1 },
  '▁I': { '▁am': 1 },
  '▁am': { '▁a': 1 },
  '▁a': { '▁tiny': 0.4, '▁small': 0.3, '▁local': 0.3 },
  '▁tiny': { '▁model': 1 },
  '▁small': { '▁model': 1 },
  '▁local': { '▁model': 1 },
  '▁model': { '.': 1 },
  '.': { '<end>': 0.6, '▁I': 0.4 },
};

/** The greedy reply (temperature 0): the most likely successor at every step, from the start. */
export const tinyGreedyReply = 'Hello! I am a tiny model.';

export const tinyChatTemplate =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface TinyModelOptions {
  /** llama.context_length: the model's context window. Default 512. */
  contextLength?: number;
  /** Leave the chat template out of the metadata. */
  withoutChatTemplate?: boolean;
}

const specials = ['<unk>', '<s>', '<|im_end|>', '<|im_start|>'];
const tokenType = { normal: 1, unknown: 2, control: 3, byte: 6 };

interface Vocabulary {
  tokens: string[];
  types: number[];
  scores: number[];
}

function vocabulary(): Vocabulary {
  const tokens = [...specials];
  const types = [tokenType.unknown, tokenType.control, tokenType.control, tokenType.control];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(tokenType.byte);
  }
  // The space piece: SentencePiece writes a space as ▁, and without it a space would be three byte tokens.
  for (const word of ['▁', ...Object.keys(chain).filter((word) => word !== '<start>')]) {
    tokens.push(word);
    types.push(tokenType.normal);
  }
  // Longer pieces score higher, as SentencePiece's do, so "Hello" is one token rather than five bytes.
  const scores = tokens.map((token, id) => (types[id] === tokenType.normal ? token.length : 0));
  return { tokens, types, scores };
}

/** Writes the model to `path` and returns its bytes' length. */
export function writeTinyModel(path: string, options: TinyModelOptions = {}): number {
  const bytes = tinyModelBytes(options);
  writeFileSync(path, bytes);
  return bytes.length;
}

export function tinyModelBytes(options: TinyModelOptions = {}): Buffer {
  const vocab = vocabulary();
  const states = Object.keys(chain);
  const nEmbd = 64;
  const nHead = 4;
  const nFf = 64;
  const nVocab = vocab.tokens.length;
  const eos = vocab.tokens.indexOf('<|im_end|>');
  const stateOf = (token: string): number => Math.max(0, states.indexOf(token));

  const embedding = new Float32Array(nEmbd * nVocab);
  vocab.tokens.forEach((token, id) => (embedding[id * nEmbd + stateOf(token)] = 1));
  // RMS norm turns a one-hot x into x * sqrt(nEmbd); this weight undoes it, so the output layer sees x.
  const outputNorm = new Float32Array(nEmbd).fill(1 / Math.sqrt(nEmbd));
  const output = new Float32Array(nEmbd * nVocab);
  states.forEach((state, column) => {
    for (const [next, p] of Object.entries(chain[state]!)) {
      const id = next === '<end>' ? eos : vocab.tokens.indexOf(next);
      output[id * nEmbd + column] = 30 + Math.log(p);
    }
  });

  const tensors: Tensor[] = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab], data: embedding },
    { name: 'output_norm.weight', dims: [nEmbd], data: outputNorm },
    { name: 'output.weight', dims: [nEmbd, nVocab], data: output },
    { name: 'blk.0.attn_norm.weight', dims: [nEmbd], data: new Float32Array(nEmbd).fill(1) },
    { name: 'blk.0.attn_q.weight', dims: [nEmbd, nEmbd], data: new Float32Array(nEmbd * nEmbd) },
    { name: 'blk.0.attn_k.weight', dims: [nEmbd, nEmbd], data: new Float32Array(nEmbd * nEmbd) },
    { name: 'blk.0.attn_v.weight', dims: [nEmbd, nEmbd], data: new Float32Array(nEmbd * nEmbd) },
    { name: 'blk.0.attn_output.weight', dims: [nEmbd, nEmbd], data: new Float32Array(nEmbd * nEmbd) },
    { name: 'blk.0.ffn_norm.weight', dims: [nEmbd], data: new Float32Array(nEmbd).fill(1) },
    { name: 'blk.0.ffn_gate.weight', dims: [nEmbd, nFf], data: new Float32Array(nEmbd * nFf) },
    { name: 'blk.0.ffn_up.weight', dims: [nEmbd, nFf], data: new Float32Array(nEmbd * nFf) },
    { name: 'blk.0.ffn_down.weight', dims: [nFf, nEmbd], data: new Float32Array(nEmbd * nFf) },
  ];

  const metadata: [string, Value][] = [
    ['general.architecture', str('llama')],
    ['general.name', str('prompt-chain tiny test model')],
    ['general.alignment', u32(alignment)],
    ['general.file_type', u32(0)],
    ['llama.context_length', u32(options.contextLength ?? 512)],
    ['llama.embedding_length', u32(nEmbd)],
    ['llama.block_count', u32(1)],
    ['llama.feed_forward_length', u32(nFf)],
    ['llama.attention.head_count', u32(nHead)],
    ['llama.attention.head_count_kv', u32(nHead)],
    ['llama.rope.dimension_count', u32(nEmbd / nHead)],
    ['llama.attention.layer_norm_rms_epsilon', f32(1e-6)],
    ['llama.vocab_size', u32(nVocab)],
    ['tokenizer.ggml.model', str('llama')],
    ['tokenizer.ggml.tokens', { type: 'array', of: 'string', values: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'array', of: 'f32', values: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'array', of: 'i32', values: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', u32(0)],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(eos)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  if (!options.withoutChatTemplate) metadata.push(['tokenizer.chat_template', str(tinyChatTemplate)]);
  return ggufBytes(metadata, tensors);
}

// --- the GGUF container -----------------------------------------------------------------------------

const alignment = 32;

interface Tensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

type Value =
  | { type: 'string'; value: string }
  | { type: 'u32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'array'; of: 'string'; values: string[] }
  | { type: 'array'; of: 'f32' | 'i32'; values: number[] };

const str = (value: string): Value => ({ type: 'string', value });
const u32 = (value: number): Value => ({ type: 'u32', value });
const f32 = (value: number): Value => ({ type: 'f32', value });

const typeCode = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;

class Writer {
  private readonly chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }

  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }

  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }

  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }

  padTo(boundary: number): void {
    const rest = this.length % boundary;
    if (rest) this.push(Buffer.alloc(boundary - rest));
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(w: Writer, value: Value): void {
  switch (value.type) {
    case 'string':
      return w.string(value.value);
    case 'u32':
      return w.u32(value.value);
    case 'f32':
      return w.f32(value.value);
    case 'bool':
      return w.push(Buffer.from([value.value ? 1 : 0]));
    case 'array':
      w.u32(typeCode[value.of]);
      w.u64(value.values.length);
      if (value.of === 'string') for (const item of value.values) w.string(item);
      else for (const item of value.values) value.of === 'f32' ? w.f32(item) : w.i32(item);
  }
}

function ggufBytes(metadata: [string, Value][], tensors: Tensor[]): Buffer {
  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, value] of metadata) {
    w.string(key);
    w.u32(typeCode[value.type]);
    writeValue(w, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    w.string(tensor.name);
    w.u32(tensor.dims.length);
    for (const dim of tensor.dims) w.u64(dim);
    w.u32(0); // GGML_TYPE_F32
    w.u64(offset);
    offset += Math.ceil((tensor.data.byteLength) / alignment) * alignment;
  }
  w.padTo(alignment);
  for (const tensor of tensors) {
    w.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    w.padTo(alignment);
  }
  return w.bytes();
}
