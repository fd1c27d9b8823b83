
export * from '../../service/context';
export * from '../../service/features/completion';
export * from '../../service/features/hover';
export * from '../../service/features/definition';
export * from '../../service/features/references';
export * from '../../service/features/rename';
export * from '../../service/features/symbols';
export * from '../../service/features/folding';
export * from '../../service/features/semanticTokens';
export * from '../../service/features/codeLens';
export function validate(_: unknown): any[] { return []; }
export function getCodeActions(..._: unknown[]): any[] { return []; }
