/** Scan targets: the organization's ACTIVE accounts, a static list, or the caller's own account. */
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { CallCounter } from '../core/call-counter';

export async function organizationAccounts(client: OrganizationsClient, counter?: CallCounter): Promise<string[]> {
  const accounts: string[] = [];
  let NextToken: string | undefined;
  do {
    counter?.add('ListAccounts');
    const page = await client.send(new ListAccountsCommand({ MaxResults: 20, NextToken }));
    for (const account of page.Accounts ?? []) {
      // Status is deprecated in favour of State; accept either saying ACTIVE.
      const state = (account as { State?: string }).State ?? account.Status;
      if (account.Id && state === 'ACTIVE') accounts.push(account.Id);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return accounts.sort();
}

/** The organization's management account (Organizations still calls it the master account). */
export async function managementAccount(
  client: OrganizationsClient,
  counter?: CallCounter,
): Promise<string | undefined> {
  counter?.add('DescribeOrganization');
  const result = await client.send(new DescribeOrganizationCommand({}));
  return result.Organization?.MasterAccountId;
}
