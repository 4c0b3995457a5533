import { BASE_NEEDS, BASE_PERMISSIONS, DOCS } from './common';
import { verdict, type EndpointCheck } from '../core/check';

const BROKEN = new Set(['pendingacceptance', 'rejected', 'failed', 'expired', 'partial']);
const TRANSIENT = new Set(['pending', 'deleting']);

export const cce5: EndpointCheck = {
  id: 'CCE.5',
  title: 'Endpoint is not available',
  severity: 'MEDIUM',
  failsWhen: 'state `pendingAcceptance`, `rejected`, `failed`, `expired` or `partial`',
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'An endpoint that is not available carries no traffic: CodeCommit access from the VPC fails or silently takes the public route.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpoints,
  evaluate(endpoint) {
    const state = endpoint.raw.State;
    if (endpoint.state === 'available') return verdict('PASSED', `Endpoint ${endpoint.id} is available.`);
    if (TRANSIENT.has(endpoint.state))
      return verdict(
        'NOT_APPLICABLE',
        `Endpoint ${endpoint.id} is ${state}, a transient state; it is judged once it settles.`,
      );
    if (BROKEN.has(endpoint.state))
      return verdict('FAILED', `Endpoint ${endpoint.id} is ${state} and carries no traffic.`);
    return verdict('ERROR', `Endpoint ${endpoint.id} has the unknown state ${JSON.stringify(state)}.`);
  },
  remediation(endpoint, scope) {
    const cli = `aws ec2 describe-vpc-endpoints --region ${scope.region} --vpc-endpoint-ids ${endpoint.id}`;
    if (endpoint.state === 'partial') {
      return `Some subnets failed: inspect them with ${cli}, then replace them: aws ec2 modify-vpc-endpoint --region ${scope.region} --vpc-endpoint-id ${endpoint.id} --remove-subnet-ids BAD_SUBNET --add-subnet-ids GOOD_SUBNET.`;
    }
    return (
      `Inspect the endpoint with ${cli}; then delete and recreate it: aws ec2 delete-vpc-endpoints --region ${scope.region} ` +
      `--vpc-endpoint-ids ${endpoint.id} && aws ec2 create-vpc-endpoint --region ${scope.region} --vpc-id ${endpoint.vpcId} ` +
      `--vpc-endpoint-type Interface --service-name ${endpoint.raw.ServiceName} --subnet-ids SUBNET_IN_AZ1 SUBNET_IN_AZ2 --private-dns-enabled.`
    );
  },
};
