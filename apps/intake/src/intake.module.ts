import { Module } from '@nestjs/common';
import { IntakeHandler } from './intake/intake.handler.js';

@Module({ providers: [IntakeHandler], exports: [IntakeHandler] })
export class IntakeModule {}
