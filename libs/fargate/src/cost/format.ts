import { CONTROL_TOWER_OPTION, type ControlTowerOptionCost } from './control-tower';
import type { CostEstimate } from './estimate';

export function formatDollars(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/** `, and $3.80 <what>` when the estimate has monitoring lines, else nothing. */
function monitoringNote(monthly: number, what: string): string {
  return monthly > 0 ? `, and ${formatDollars(monthly)} ${what}` : '';
}

/** Unit prices keep their published precision ($0.004445), trailing zeros dropped. */
function formatUnitPrice(price: number): string {
  return `$${Number(price.toPrecision(6))}`;
}

function formatQuantity(quantity: number): string {
  return Number(quantity.toFixed(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) =>
        rightAligned.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** What the AWS Control Tower option would add, as terminal lines (none when it is on). */
function optionLines(option: ControlTowerOptionCost | undefined): string[] {
  if (!option) return [];
  const rows = table(
    option.lines.map((line) => [line.item, formatDollars(line.monthly)]),
    new Set([1]),
  );
  return [
    `AWS Control Tower option (${CONTROL_TOWER_OPTION}, docs/ARCHITECTURE.md): +${formatDollars(option.extraMonthly)}/month, ${formatDollars(option.totalMonthly)} in all:`,
    ...rows.map((line) => `  ${line}`),
    ...option.replaced.map((line) => `  instead of: ${line.item} (${formatDollars(line.monthly)})`),
    ...option.assumptions.map((a) => `  - ${a}`),
    '',
  ];
}

/** The estimate as the terminal table `nx run infra:cost` prints. */
export function formatEstimate(estimate: CostEstimate, option?: ControlTowerOptionCost): string {
  const rows = [
    ['item', 'quantity', 'unit price', 'per month'],
    ...estimate.lines.map((line) => [
      line.item,
      `${formatQuantity(line.quantity)} ${line.unit}`,
      `${formatUnitPrice(line.unitPrice)}/${line.unit}`,
      formatDollars(line.monthly),
    ]),
  ];
  const body = table(rows, new Set([1, 2, 3]));
  const rule = '-'.repeat(Math.max(...body.map((line) => line.length)));
  const totalLabel = `total per month (${estimate.currency})`;
  const totalLine = `${totalLabel}${formatDollars(estimate.total).padStart(rule.length - totalLabel.length)}`;
  const ceilingLabel = `at the autoscaling maximum (${estimate.scaling?.maxTasks} tasks)`;
  const ceiling = estimate.scaling
    ? [
        `${ceilingLabel}${formatDollars(estimate.scaling.totalAtMax).padStart(rule.length - ceilingLabel.length)}`,
      ]
    : [];
  const { reference } = estimate;
  const sign = reference.difference >= 0 ? '+' : '-';

  const options = table(
    [
      ['region', 'architecture', 'capacity', 'Fargate per month'],
      ...estimate.fargateOptions.map((o) => [
        o.region,
        o.architecture,
        o.capacity,
        formatDollars(o.monthly),
      ]),
    ],
    new Set([3]),
  );

  return [
    `Monthly estimate for the synthesized stacks in ${estimate.region}`,
    '',
    body[0],
    rule,
    ...body.slice(1),
    rule,
    totalLine,
    ...ceiling,
    '',
    `Reference (${reference.source}): ~${formatDollars(reference.monthly)}/month.`,
    `This estimate: ${formatDollars(estimate.total)} (${sign}${formatDollars(Math.abs(reference.difference))}), of which ${formatDollars(reference.publicIpv4Monthly)} is the public IPv4 charge the reference leaves out${monitoringNote(reference.monitoringMonthly, 'the alarms, their metrics and the dashboard it did not have')}.`,
    '',
    ...optionLines(option),
    'Free in these templates:',
    ...estimate.free.map((f) => `  ${f.type} ×${f.logicalIds.length}: ${f.why}`),
    '',
    'Assumptions:',
    ...estimate.assumptions.map((a) => `  - ${a}`),
    '',
    'Same tasks elsewhere (Fargate vCPU + memory only):',
    ...options.map((line) => `  ${line}`),
    '',
    `Prices: AWS list prices as of ${estimate.prices.asOf}. ${estimate.prices.note}`,
    ...Object.entries(estimate.prices.sources).map(([name, url]) => `  ${name}: ${url}`),
    '',
  ].join('\n');
}

/** Name of the section of docs/ARCHITECTURE.md that `nx run infra:cost -- --write-docs` owns. */
export const DOCS_SECTION = 'cost-estimate';

/** The option's extra lines as Markdown (none when the templates already have it). */
function optionMarkdown(option: ControlTowerOptionCost | undefined): string[] {
  if (!option) return [];
  return [
    '',
    `With the [AWS Control Tower option](#aws-control-tower-proactive-controls) (\`${CONTROL_TOWER_OPTION}\`): +${formatDollars(option.extraMonthly)}/month, ${formatDollars(option.totalMonthly)} in all.`,
    '',
    '| Added by the option | Quantity | Unit price | Per month |',
    '| --- | ---: | ---: | ---: |',
    ...option.lines.map(
      (line) =>
        `| ${line.item} | ${formatQuantity(line.quantity)} ${line.unit} | ${formatUnitPrice(line.unitPrice)}/${line.unit} | ${formatDollars(line.monthly)} |`,
    ),
    ...option.replaced.map(
      (line) => `| instead of: ${line.item} | | | −${formatDollars(line.monthly)} |`,
    ),
    '',
    ...option.assumptions.map((a) => `- ${a}`),
  ];
}

/** The estimate as the Markdown section of docs/ARCHITECTURE.md. */
export function formatMarkdown(estimate: CostEstimate, option?: ControlTowerOptionCost): string {
  const { reference } = estimate;
  const sign = reference.difference >= 0 ? '+' : '-';
  return [
    `Generated by \`npx nx run infra:cost -- --write-docs\` from the synthesized templates (${estimate.region}, default configuration, ${estimate.hoursPerMonth} hours a month; AWS list prices as of ${estimate.prices.asOf}, see [libs/fargate/src/cost/prices.ts](../libs/fargate/src/cost/prices.ts)).`,
    '',
    '| Item | Quantity | Unit price | Per month |',
    '| --- | ---: | ---: | ---: |',
    ...estimate.lines.map(
      (line) =>
        `| ${line.item} | ${formatQuantity(line.quantity)} ${line.unit} | ${formatUnitPrice(line.unitPrice)}/${line.unit} | ${formatDollars(line.monthly)} |`,
    ),
    `| **Total** | | | **${formatDollars(estimate.total)}** |`,
    ...(estimate.scaling
      ? [
          `| At the autoscaling maximum (${estimate.scaling.maxTasks} tasks) | | | ${formatDollars(estimate.scaling.totalAtMax)} |`,
        ]
      : []),
    '',
    `The reference estimated ~${formatDollars(reference.monthly)}/month; this is ${sign}${formatDollars(Math.abs(reference.difference))}, mostly the public IPv4 address (${formatDollars(reference.publicIpv4Monthly)}) it left out${monitoringNote(reference.monitoringMonthly, 'the alarms, their metrics and the dashboard it did not have')}.`,
    ...optionMarkdown(option),
    '',
    'Assumptions:',
    '',
    ...estimate.assumptions.map((a) => `- ${a}`),
    '',
    'Free: ' + estimate.free.map((f) => `\`${f.type}\``).join(', ') + '.',
    '',
    '| Same tasks elsewhere | Architecture | Capacity | Fargate per month |',
    '| --- | --- | --- | ---: |',
    ...estimate.fargateOptions.map(
      (o) => `| ${o.region} | ${o.architecture} | ${o.capacity} | ${formatDollars(o.monthly)} |`,
    ),
  ].join('\n');
}
