export { isUuid, uuidv7, type Branded } from './ids.ts';
