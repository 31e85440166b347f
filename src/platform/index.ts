export type { HudumaModule, ModuleDeps, ModuleMessages, ModuleNavigationItem } from './module.ts';
