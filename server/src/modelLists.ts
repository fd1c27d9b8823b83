// The models each endpoint lists (GET /models), kept for a while so Select Model and the completion of
// `model:` do not ask the network every time. Completion never waits: it takes what is cached and starts
// a fetch for next time. A failed or empty list is remembered for a shorter while, so a server that is
// down is not asked on every keystroke, and one that comes back is seen soon.

import type { Endpoint } from '../../core/model/endpoint';
import { listEndpointModels } from '../../core/model/listModels';

/** How long a listed set of models is used before it is asked for again. */
export const modelListTtlMs = 5 * 60_000;
/** How long a failed (or empty) listing is remembered before the endpoint is asked again. */
export const modelListFailureTtlMs = 30_000;

interface Listing {
  /** The last answer, and when it came; [] when the endpoint listed none or failed. */
  latest?: { models: string[]; at: number };
  /** The fetch under way: whoever asks meanwhile waits for the same answer. */
  pending?: Promise<string[]>;
}

export class ModelLists {
  private readonly byEndpoint = new Map<string, Listing>();

  constructor(
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The endpoint's models, fetched when none are cached or they are stale; [] when it lists none or fails. */
  get(endpoint: Endpoint): Promise<string[]> {
    const listing = this.listingOf(endpoint);
    if (listing.latest && !this.isStale(listing.latest)) return Promise.resolve(listing.latest.models);
    return this.refresh(endpoint, listing);
  }

  /** What is cached now, without waiting (a stale list too); starts a fetch when nothing fresh is cached. */
  cached(endpoint: Endpoint): string[] {
    const listing = this.listingOf(endpoint);
    if (!listing.latest || this.isStale(listing.latest)) void this.refresh(endpoint, listing);
    return listing.latest?.models ?? [];
  }

  private listingOf(endpoint: Endpoint): Listing {
    let listing = this.byEndpoint.get(endpoint.baseURL);
    if (!listing) {
      listing = {};
      this.byEndpoint.set(endpoint.baseURL, listing);
    }
    return listing;
  }

  private isStale(latest: { models: string[]; at: number }): boolean {
    const ttl = latest.models.length > 0 ? modelListTtlMs : modelListFailureTtlMs;
    return this.now() - latest.at >= ttl;
  }

  private refresh(endpoint: Endpoint, listing: Listing): Promise<string[]> {
    // An endpoint nothing may be sent to (OpenAI's without a key, a bad URL) lists none; a turn says why.
    // Nor does the in-process model's: its models are the cache's (listModels.ts asks there).
    if (endpoint.problem || endpoint.local) {
      listing.latest = { models: [], at: this.now() };
      return Promise.resolve([]);
    }
    listing.pending ??= listEndpointModels(endpoint)
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.warn(`The models of ${endpoint.label} could not be listed, so the promptChain.models setting is offered: ${reason}`);
        return [];
      })
      .then((models) => {
        listing.latest = { models, at: this.now() };
        listing.pending = undefined;
        return models;
      });
    return listing.pending;
  }
}
