import { Module } from '@nestjs/common';
import { A2aCardClient } from './a2a-card.client.js';

/** Fetching an A2A agent card to import the agent (a2a-card.mapper.ts turns it into a Spine card). */
@Module({ providers: [A2aCardClient], exports: [A2aCardClient] })
export class A2aCardModule {}
