export { readOrMakeKeyFile } from './key-file.ts';
