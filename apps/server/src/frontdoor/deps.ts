import type { Request } from 'express';
import type { Store } from '@berth/store';
import type { Logger } from 'pino';
import type { AccountService } from '../services/accounts.ts';
import type { DeleteService } from '../services/deletes.ts';
import type { Indexer } from '../services/indexer.ts';
import type { PullCounter } from '../services/pull-counter.ts';
import type { UpstreamProxy } from './proxy.ts';
import type { TokenService } from './tokens.ts';

/** What the /v2 front door works with. */
export interface FrontDoorDeps {
  store: Store;
  accounts: AccountService;
  tokens: TokenService;
  proxy: UpstreamProxy;
  indexer: Indexer;
  deletes: DeleteService;
  pulls: PullCounter;
  /** Hears of each manifest push once answered (scan on push queues its scan there). */
  pushed: (p: { repository: string; image: string; digest: string }) => Promise<void>;
  log: Logger;
  /** Absolute URL of the token realm, e.g. https://berth.example/service/token. */
  realm: (req: Request) => string;
  tokenRateLimit: number;
}
