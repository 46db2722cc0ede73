/**
 * StaffTokenClaims, the Cognito pre token generation trigger (V2_0): the officer's stations from the SSM
 * officer settings into the access token's `stations` claim, read by the staff routes. The handler runs for
 * real — the Lambda entry `handler` too — with the real SDK client and Powertools SSMProvider; SSM itself
 * is aws-sdk-client-mock (the local stack has no SSM: its OpenID provider issues the claim itself).
 */
import { readFileSync } from 'node:fs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  OfficerSettingsError,
  OfficerSettingsSource,
  principalFromClaims,
  STAFF_ENV,
} from '#functions/edge/staff.ts';
import { functions } from '#functions/function-list.ts';
import { createHandler, handler, TokenEventError } from '#functions/user-pool/staff-token-claims.ts';

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

const PARAMETER = '/certflow/test/officer-settings';
const SETTINGS = {
  officers: { 'wang.li': { stations: ['CC-YHL'] }, 'zhao.min': { stations: ['CC-YHL', 'CC-NG'] } },
};
const parameter = (value: unknown) => ({
  Parameter: { Name: PARAMETER, Value: typeof value === 'string' ? value : JSON.stringify(value) },
});

function event(userName: string, groups: string[], changes: Record<string, unknown> = {}) {
  const base = JSON.parse(
    readFileSync(new URL('../../events/cognito/pre-token-generation-v2.json', import.meta.url), 'utf8'),
  ) as PreTokenGenerationV2TriggerEvent;
  return {
    ...base,
    userName,
    request: {
      ...base.request,
      groupConfiguration: { ...base.request.groupConfiguration, groupsToOverride: groups },
    },
    ...changes,
  } as PreTokenGenerationV2TriggerEvent;
}

function logs() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

const source = () => new OfficerSettingsSource(new SSMClient({ region: 'ap-northeast-2' }), PARAMETER);
const claimsOf = (e: PreTokenGenerationV2TriggerEvent) =>
  e.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride;

describe('the stations claim', () => {
  it("adds an officer's stations to the access token as one space-separated string, read decrypted from the parameter", async () => {
    ssm.on(GetParameterCommand).resolves(parameter(SETTINGS));
    const log = logs();
    const result = await createHandler({ logger: log }, source)(event('zhao.min', ['officer']));
    expect(claimsOf(result)).toEqual({ stations: 'CC-YHL CC-NG' });
    // The ID token is left as Cognito makes it.
    expect(result.response.claimsAndScopeOverrideDetails?.idTokenGeneration).toBeUndefined();
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: PARAMETER, WithDecryption: true },
    ]);
    expect(log.info).toHaveBeenCalledWith(
      'stations claim',
      expect.objectContaining({ username: 'zhao.min' }),
    );
  });

  it('the claim it writes is what the staff routes read, as the JWT says it and as the gateway passes it', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(SETTINGS));
    const result = await createHandler({ logger: logs() }, source)(event('zhao.min', ['officer']));
    const claim = claimsOf(result)!.stations;
    // A string claim reaches the handler unchanged through the HTTP API JWT authorizer.
    const noSettings = async () => {
      throw new Error('the routes must not read the settings when the token has the claim');
    };
    expect(
      await principalFromClaims(
        { username: 'zhao.min', 'cognito:groups': '[officer]', stations: claim },
        noSettings,
      ),
    ).toEqual({ role: 'OFFICER', name: 'zhao.min', stations: ['CC-YHL', 'CC-NG'] });
  });

  it('reads the settings once for many sign-ins (Powertools cache), and keeps claims another step added', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(SETTINGS));
    const h = createHandler({ logger: logs() }, source);
    await h(event('wang.li', ['officer']));
    const withOther = event('zhao.min', ['officer'], {
      response: {
        claimsAndScopeOverrideDetails: {
          accessTokenGeneration: { claimsToAddOrOverride: { desk: '3' }, scopesToAdd: ['x'] },
        },
      },
    });
    const result = await h(withOther);
    expect(result.response.claimsAndScopeOverrideDetails?.accessTokenGeneration).toEqual({
      claimsToAddOrOverride: { desk: '3', stations: 'CC-YHL CC-NG' },
      scopesToAdd: ['x'],
    });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('leaves supervisors (every station by group) and users without a staff group alone, without reading SSM', async () => {
    const made = vi.fn(source);
    const h = createHandler({ logger: logs() }, made);
    for (const groups of [['supervisor'], ['officer', 'supervisor'], ['citizen'], []]) {
      const result = await h(event('chen.jie', groups));
      expect(result.response.claimsAndScopeOverrideDetails, groups.join()).toBeNull();
    }
    expect(made).not.toHaveBeenCalled();
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  it('an officer the settings do not name gets no claim, and a warning', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(SETTINGS));
    const log = logs();
    const result = await createHandler({ logger: log }, source)(event('new.hire', ['officer']));
    expect(result.response.claimsAndScopeOverrideDetails).toBeNull();
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining('not named in the officer settings'),
      expect.objectContaining({ username: 'new.hire', parameter: PARAMETER }),
    );
  });

  it('refuses the sign-in (throws) when the settings are invalid or unreadable, with an error log', async () => {
    ssm.on(GetParameterCommand).resolves(parameter({ officers: { 'wang.li': { stations: ['*'] } } }));
    const log = logs();
    await expect(createHandler({ logger: log }, source)(event('wang.li', ['officer']))).rejects.toThrow(
      OfficerSettingsError,
    );
    expect(log.error).toHaveBeenCalledWith(
      expect.stringContaining('sign-in is refused'),
      expect.objectContaining({ parameter: PARAMETER }),
    );
    ssm.reset();
    ssm.on(GetParameterCommand).rejects(new Error('AccessDeniedException'));
    await expect(createHandler({ logger: logs() }, source)(event('wang.li', ['officer']))).rejects.toThrow(
      /AccessDenied/,
    );
  });

  it('refuses what is not a V2 pre token generation event (a V1_0 wiring would drop the access-token claim)', async () => {
    const h = createHandler({ logger: logs() }, source);
    await expect(h(event('wang.li', ['officer'], { version: '1' }))).rejects.toThrow(TokenEventError);
    await expect(h({ version: '2' } as never)).rejects.toThrow(TokenEventError);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });
});

describe('the Lambda entry', () => {
  it('reads the parameter its environment names, through its own SDK client', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(SETTINGS));
    const saved = { ...process.env };
    Object.assign(process.env, {
      [STAFF_ENV.officerSettingsParameter]: PARAMETER,
      AWS_REGION: 'ap-northeast-2',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    try {
      const result = await handler(event('wang.li', ['officer']));
      expect(claimsOf(result)).toEqual({ stations: 'CC-YHL' });
      expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input.Name).toBe(PARAMETER);
    } finally {
      process.env = saved;
    }
  });

  it('is in the function list as the pre token generation trigger, reading only the officer settings', () => {
    const spec = functions.find((f) => f.name === 'StaffTokenClaims');
    expect(spec).toMatchObject({
      entry: 'functions/user-pool/staff-token-claims.ts',
      trigger: { kind: 'preTokenGeneration' },
      access: { table: 'none', stateMachine: [], secrets: ['officerSettings'] },
    });
    // Cognito waits five seconds for a trigger.
    expect(spec?.timeoutSeconds).toBeLessThanOrEqual(5);
  });
});
