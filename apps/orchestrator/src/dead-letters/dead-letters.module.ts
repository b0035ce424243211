import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DeadLettersController } from './dead-letters.controller.js';

/** Messages consumers gave up on (DEAD_LETTERS), read and replayed by a tenant's admins. */
@Module({
  imports: [AuthModule],
  controllers: [DeadLettersController],
})
export class DeadLettersModule {}
