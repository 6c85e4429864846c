import { Global, Module } from '@nestjs/common';
import { UserWorkGuard, UserWorkLimit } from './user-work-limit.js';

/** One UserWorkLimit per instance, shared by the global guard and the event stream setup. */
@Global()
@Module({
  providers: [UserWorkLimit, UserWorkGuard],
  exports: [UserWorkLimit, UserWorkGuard],
})
export class UserWorkModule {}
