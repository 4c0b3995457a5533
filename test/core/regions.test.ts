import { describe, expect, it } from 'vitest';
import {
  allServiceNames,
  builtInOffer,
  CODECOMMIT_ENDPOINT_REGIONS,
  isRegionCode,
  partitionOf,
  regionOffer,
  serviceKindOf,
  serviceName,
} from '../../functions/core/regions';

describe('region catalogue', () => {
  it('holds the 22 regions of the seed', () => {
    expect(CODECOMMIT_ENDPOINT_REGIONS).toHaveLength(22);
  });

  it.each([
    ['us-east-2', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('%s is in partition %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it.each(['us-east-2', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-4', 'il-central-1'])(
    'accepts region code %s',
    (region) => {
      expect(isRegionCode(region)).toBe(true);
    },
  );

  it.each(['us-east', 'US-EAST-2', 'useast2', 'us-east-2a', ''])('rejects %j', (region) => {
    expect(isRegionCode(region)).toBe(false);
  });

  it('knows the FIPS variants per region', () => {
    expect([...builtInOffer('us-east-2')].sort()).toEqual([
      'codecommit',
      'codecommit-fips',
      'git-codecommit',
      'git-codecommit-fips',
    ]);
    expect([...builtInOffer('us-gov-east-1')].sort()).toEqual(['codecommit', 'git-codecommit', 'git-codecommit-fips']);
    expect([...builtInOffer('eu-west-1')].sort()).toEqual(['codecommit', 'git-codecommit']);
    expect([...builtInOffer('af-south-1')]).toEqual([]);
  });

  it('lets live endpoint services override the built-in lists', () => {
    const offer = regionOffer('eu-west-1', ['com.amazonaws.eu-west-1.git-codecommit', 'com.amazonaws.eu-west-1.s3']);
    expect(offer.source).toBe('live');
    expect([...offer.services]).toEqual(['git-codecommit']);
    expect([...regionOffer('af-south-1', ['com.amazonaws.af-south-1.codecommit']).services]).toEqual(['codecommit']);
  });

  it('builds and recognises service names in every partition', () => {
    expect(serviceName('us-gov-west-1', 'git-codecommit-fips')).toBe('com.amazonaws.us-gov-west-1.git-codecommit-fips');
    expect(serviceName('cn-north-1', 'codecommit')).toBe('cn.com.amazonaws.cn-north-1.codecommit');
    expect(serviceKindOf('com.amazonaws.cn-north-1.git-codecommit', 'cn-north-1')).toBe('git-codecommit');
    expect(serviceKindOf('cn.com.amazonaws.cn-north-1.git-codecommit', 'cn-north-1')).toBe('git-codecommit');
    expect(serviceKindOf('com.amazonaws.us-west-2.git-codecommit', 'us-east-2')).toBeUndefined();
    expect(serviceKindOf('com.amazonaws.us-east-2.codecommitx', 'us-east-2')).toBeUndefined();
    expect(allServiceNames('cn-north-1')).toHaveLength(8);
    expect(allServiceNames('us-east-1')).toHaveLength(4);
  });
});
