export {
  joinErrorTables,
  platformErrors,
  type ErrorDefinition,
  type ErrorTable,
  type PlatformErrorCode,
} from './catalogue.ts';
export { err, failure, ok, type Err, type Failure, type Ok, type Result } from './result.ts';
