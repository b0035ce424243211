import { vectorStoreContract } from '../testing/vector-store.contract.js';
import { EmbeddedVectorStore } from './embedded.store.js';
import { MemoryPersistence } from './embedded.persistence.js';

vectorStoreContract('EmbeddedVectorStore (memory)', () => Promise.resolve(new EmbeddedVectorStore({ dimensions: 8, persistence: new MemoryPersistence() })));
