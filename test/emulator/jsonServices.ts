// The JSON-protocol AWS services the emulator answers by X-Amz-Target, for calls a test (or a
// terminal's AWS CLI, through AWS_ENDPOINT_URL_CLOUDTRAIL / AWS_ENDPOINT_URL_DYNAMODB) signs with
// issued role keys: CloudTrail LookupEvents, and four DynamoDB table actions (two reads, two
// writes) so there are reads, writes, failures and denials to review. Every call is recorded.
import type * as http from 'node:http';
import type { Context } from './context';
import type { Operation } from './options';
import type { ApiResult } from './responses';
import type { RoleKey } from './state';
import { jsonError, signingScope, type SignedCall, type Trail } from './trail';

/** botocore sends the long target; the JS SDK v3 (3.1136) sends the short one. Both reach the service. */
export const CLOUDTRAIL_TARGETS = ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', 'CloudTrail_20131101.LookupEvents'];
export const DYNAMODB_TARGET = 'DynamoDB_20120810.';

type TableAction = 'ListTables' | 'DescribeTable' | 'CreateTable' | 'DeleteTable';
const TABLE_ACTIONS: TableAction[] = ['ListTables', 'DescribeTable', 'CreateTable', 'DeleteTable'];
const WRITES: TableAction[] = ['CreateTable', 'DeleteTable'];

/** The operation an X-Amz-Target names, when the emulator serves it. */
export function jsonOperation(target: string | undefined): Operation | undefined {
  if (target && CLOUDTRAIL_TARGETS.includes(target)) return 'LookupEvents';
  const action = target?.startsWith(DYNAMODB_TARGET) ? target.slice(DYNAMODB_TARGET.length) : undefined;
  return TABLE_ACTIONS.find((a) => a === action);
}

export class JsonServices {
  /** DynamoDB tables, by account and region. */
  private tables = new Map<string, Set<string>>();

  constructor(
    private readonly ctx: Context,
    private readonly trail: Trail,
  ) {}

  clear(): void {
    this.tables.clear();
  }

  handle(operation: Operation, req: http.IncomingMessage, rawBody: string): ApiResult {
    const dynamo = operation !== 'LookupEvents';
    const scope = signingScope(header(req, 'authorization'));
    const key = scope && this.ctx.state.roleKeys.get(scope.accessKeyId);
    const log = { accessKeyId: scope?.accessKeyId, accountId: key?.accountId, roleName: key?.roleName };
    if (!scope) return { ...asDynamo(jsonError('MissingAuthenticationTokenException', 'Missing Authentication Token'), dynamo), log };
    if (!key) return { ...asDynamo(jsonError('UnrecognizedClientException', 'The security token included in the request is invalid.'), dynamo), log };
    if (key.expiresAt <= this.ctx.now()) {
      return {
        ...asDynamo(jsonError('ExpiredTokenException', 'The security token included in the request is expired'), dynamo),
        log: { ...log, expiredKey: true },
      };
    }
    let body: Record<string, unknown>;
    try {
      body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
    } catch {
      return { ...asDynamo(jsonError('SerializationException', 'Request body is not valid JSON'), dynamo), log };
    }
    // LookupEvents is not recorded: reviewing must not add to what is reviewed.
    if (!dynamo) return { ...this.trail.lookupEvents(key, scope.region, body), log };
    const action = operation as TableAction;
    const table = typeof body.TableName === 'string' ? body.TableName : undefined;
    const call: SignedCall = {
      eventSource: 'dynamodb.amazonaws.com',
      eventName: action,
      readOnly: !WRITES.includes(action),
      resources: table ? [{ ResourceType: 'AWS::DynamoDB::Table', ResourceName: `arn:aws:dynamodb:${scope.region}:${key.accountId}:table/${table}` }] : [],
    };
    const result = asDynamo(this.tableAction(action, key, scope.region, table), true);
    this.trail.record(req, call, result);
    return { ...result, log };
  }

  private tableAction(action: TableAction, key: RoleKey, region: string, table: string | undefined): ApiResult {
    const tables = this.tables.get(`${key.accountId}|${region}`) ?? new Set<string>();
    this.tables.set(`${key.accountId}|${region}`, tables);
    if (action === 'ListTables') return ok({ TableNames: [...tables].sort() });
    if (!table) return jsonError('ValidationException', 'TableName is required');
    const arn = `arn:aws:dynamodb:${region}:${key.accountId}:table/${table}`;
    if (WRITES.includes(action) && this.ctx.options.writeDeniedRoles.includes(key.roleName)) {
      const who = `arn:aws:sts::${key.accountId}:assumed-role/${key.roleName}/${key.sessionName}`;
      return jsonError(
        'AccessDeniedException',
        `User: ${who} is not authorized to perform: dynamodb:${action} on resource: ${arn} because no identity-based policy allows the dynamodb:${action} action`,
      );
    }
    const description = { TableName: table, TableArn: arn, TableStatus: 'ACTIVE' };
    if (action === 'CreateTable') {
      if (tables.has(table)) return jsonError('ResourceInUseException', `Table already exists: ${table}`);
      tables.add(table);
      return ok({ TableDescription: description });
    }
    if (!tables.has(table)) return jsonError('ResourceNotFoundException', `Requested resource not found: Table: ${table} not found`);
    if (action === 'DeleteTable') {
      tables.delete(table);
      return ok({ TableDescription: { ...description, TableStatus: 'DELETING' } });
    }
    return ok({ Table: description });
  }
}

const ok = (body: unknown): ApiResult => ({ status: 200, contentType: 'application/x-amz-json-1.0', body: JSON.stringify(body) });

/** DynamoDB speaks JSON 1.0; its errors look the same otherwise. */
function asDynamo(r: ApiResult, dynamo: boolean): ApiResult {
  return dynamo ? { ...r, contentType: 'application/x-amz-json-1.0' } : r;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
