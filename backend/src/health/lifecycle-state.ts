import { Injectable } from '@nestjs/common';

/** Set on SIGTERM so load balancers see /health fail before the server stops. */
@Injectable()
export class LifecycleState {
  shuttingDown = false;
}
