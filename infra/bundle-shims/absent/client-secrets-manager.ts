/**
 * `@aws-sdk/client-secrets-manager` in the bundles of functions that read no secret (see absent.ts and
 * infra/bundling.ts): no token or department secret in `access.secrets`, no SMS (the http gateway's token),
 * and not an HTTP function (every HTTP function reads the origin-verify secret). Powertools'
 * SecretsProvider, which those functions still import, names the three exports below.
 */
import { absentClass } from './absent.ts';

const pkg = '@aws-sdk/client-secrets-manager';
export const SecretsManagerClient = absentClass(pkg, 'SecretsManagerClient', 'secrets');
export const GetSecretValueCommand = absentClass(pkg, 'GetSecretValueCommand', 'secrets');
export const ResourceNotFoundException = absentClass(pkg, 'ResourceNotFoundException', 'secrets');
