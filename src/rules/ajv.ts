// One Ajv instance for the rule and config schemas (ajv ships CommonJS; this bridges its default export under NodeNext).
import AjvModule, { type ErrorObject } from 'ajv';

const AjvClass = AjvModule.default;

/** A schema validator shared by rule and config loading. */
export const ajv = new AjvClass({ allErrors: true, strict: false });
export type { ErrorObject };
