import type { CfnTemplate } from './cloud-assembly';
import { describeImageTag, describeValue, getAttOf, referencedId, refOf } from './template-values';

const template: CfnTemplate = {
  Parameters: { AllowedIP: { Type: 'String', Default: '0.0.0.0/0' }, ImageTag: { Type: 'String' } },
};

describe('template values', () => {
  it('GIVEN a literal WHEN described THEN it reads as itself', () => {
    expect(describeValue(49000, template)).toBe('49000');
  });

  it('GIVEN a parameter reference WHEN described THEN it names the parameter and its default', () => {
    expect(describeValue({ Ref: 'AllowedIP' }, template)).toBe('AllowedIP (default 0.0.0.0/0)');
  });

  it('GIVEN a pseudo parameter inside a join WHEN described THEN the parts are joined', () => {
    expect(
      describeValue({ 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr']] }, template),
    ).toBe('{AWS::AccountId}.dkr.ecr');
  });

  it('GIVEN Ref and GetAtt WHEN asked what they point at THEN the logical id comes back', () => {
    expect(refOf({ Ref: 'Vpc' })).toBe('Vpc');
    expect(getAttOf({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('Role');
    expect(referencedId({ 'Fn::GetAtt': ['Sg', 'GroupId'] })).toBe('Sg');
    expect(referencedId('literal')).toBeUndefined();
  });

  it('GIVEN an image URI ending in the ImageTag parameter WHEN its tag is described THEN it is the parameter name', () => {
    const image = {
      'Fn::Join': ['', ['123.dkr.ecr.eu-west-1.amazonaws.com/repo:', { Ref: 'ImageTag' }]],
    };

    expect(describeImageTag(image, template)).toBe('ImageTag');
  });

  it('GIVEN an image URI with a literal tag WHEN its tag is described THEN it is that tag', () => {
    expect(describeImageTag('123.dkr.ecr.eu-west-1.amazonaws.com/repo:v1.2.3', template)).toBe(
      'v1.2.3',
    );
  });
});
