import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface NetworkProps {
  readonly vpcCidr: string;
  readonly publicSubnetCidr: string;
  readonly port: number;
  /** CIDR allowed to reach the port; may be a CloudFormation parameter token. */
  readonly allowedCidr: string;
  /**
   * ingress alb: a second public subnet with this CIDR in the region's second AZ (a load balancer
   * needs two), and the service port closed to AllowedIP: the load balancer's construct admits
   * its own security group instead, and AllowedIP applies at the load balancer.
   * @default none: the reference's one public subnet, the port open to AllowedIP
   */
  readonly loadBalancer?: { readonly secondPublicSubnetCidr: string };
}

/**
 * Hands the VPC the reference's exact CIDRs: CDK's own allocator would carve the subnet from
 * the start of the VPC range (10.0.0.0/24), the reference uses 10.0.1.0/24.
 */
class FixedIpAddresses implements ec2.IIpAddresses {
  constructor(
    private readonly vpcCidr: string,
    private readonly subnetCidrs: readonly string[],
  ) {}

  allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.vpcCidr };
  }

  allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    if (input.requestedSubnets.length > this.subnetCidrs.length) {
      throw new Error(
        `FixedIpAddresses has ${this.subnetCidrs.length} subnet CIDRs, asked for ${input.requestedSubnets.length}`,
      );
    }
    return {
      allocatedSubnets: input.requestedSubnets.map((_, i) => ({ cidr: this.subnetCidrs[i] })),
    };
  }
}

/**
 * The reference's network: one VPC, one public subnet in the region's first AZ with an
 * internet gateway route, and a security group open on the service port to one CIDR only.
 * No NAT gateway and no VPC endpoints: both cost money the reference does not spend.
 * Behind a load balancer (ingress alb): a second public subnet in the second AZ, and the port
 * open to nothing until the load balancer admits its own security group.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { loadBalancer } = props;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      // The first subnet keeps its CIDR and logical ID (PublicSubnet1) whether or not a second
      // one is added: switching to alb adds to the network, it does not replace it.
      ipAddresses: new FixedIpAddresses(
        props.vpcCidr,
        loadBalancer
          ? [props.publicSubnetCidr, loadBalancer.secondPublicSubnetCidr]
          : [props.publicSubnetCidr],
      ),
      // With no account in the stack's env this is Fn::Select(i, Fn::GetAZs): no lookup.
      maxAzs: loadBalancer ? 2 : 1,
      natGateways: 0,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      createInternetGateway: true,
      // The restriction is a Lambda-backed custom resource: an asset that needs bootstrap.
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        {
          name: 'Public',
          subnetType: ec2.SubnetType.PUBLIC,
          cidrMask: 24,
          mapPublicIpOnLaunch: true,
        },
      ],
    });

    if (loadBalancer) {
      // Nothing launched in the second subnet needs an address on launch: the load balancer's
      // nodes get theirs from ELB, and tasks ask for one (assignPublicIp) in either subnet.
      const second = this.vpc.publicSubnets[1].node.defaultChild as ec2.CfnSubnet;
      second.mapPublicIpOnLaunch = false;
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: loadBalancer
        ? `Port ${props.port} from the load balancer only; HTTPS out for image pulls and logs`
        : `Port ${props.port} from AllowedIP; HTTPS out for image pulls and logs`,
      allowAllOutbound: false,
    });
    if (!loadBalancer) {
      this.securityGroup.addIngressRule(
        ec2.Peer.ipv4(props.allowedCidr),
        ec2.Port.tcp(props.port),
        'Service port from AllowedIP only',
      );
    }
    // Fargate pulls the image (ECR API + S3 layers) and ships logs over the task's own ENI,
    // all HTTPS to public endpoints; the VPC's DNS resolver is not subject to security groups.
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to ECR, S3 image layers and CloudWatch Logs',
    );
  }
}
