/** Who we are: the caller's account (sts:GetCallerIdentity needs no permission). */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsResponseError } from '../core/errors';

export async function callerAccount(sts: STSClient): Promise<string> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new AwsResponseError('GetCallerIdentity returned no account id');
  return identity.Account;
}
