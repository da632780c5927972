// CI runs every test: no workflow may hand a job Nx task results computed elsewhere (CONTRIBUTING,
// "Set up"). A fresh runner has no Nx cache; these checks keep it that way.
import { workspaceRoot } from '../workspace';
import { listWorkflowFiles, readWorkflow, type WorkflowStep } from './workflows';

/** Steps that would restore Nx's task cache or read it remotely, with why. */
export function findNxCacheReuse(file: string, steps: readonly WorkflowStep[]): string[] {
  const found: string[] = [];
  for (const step of steps) {
    const where = `${file} › ${step.name ?? step.uses ?? step.run?.split('\n')[0]}`;
    const path = String(step.with?.['path'] ?? '');
    if (step.uses?.startsWith('actions/cache') && /(^|\s|\/)\.nx\b|nx\/cache/.test(path)) {
      found.push(`${where}: restores the Nx cache (${path.trim()})`);
    }
    if (
      /\bnx-cloud\b|NX_CLOUD_ACCESS_TOKEN/.test(
        `${step.run ?? ''} ${JSON.stringify(step.env ?? {})}`,
      )
    ) {
      found.push(`${where}: uses Nx Cloud`);
    }
  }
  return found;
}

describe('GitHub workflows and the Nx cache', () => {
  it('GIVEN a step restoring .nx/cache WHEN checked THEN it is reported', () => {
    // GIVEN an actions/cache step over Nx's cache folder
    const steps: WorkflowStep[] = [
      { name: 'nx cache', uses: 'actions/cache@v4', with: { path: '.nx/cache', key: 'nx' } },
      { name: 'npm cache', uses: 'actions/cache@v4', with: { path: '~/.npm', key: 'npm' } },
    ];
    // WHEN checked
    const found = findNxCacheReuse('ci.yml', steps);
    // THEN only the Nx one is reported
    expect(found).toEqual(['ci.yml › nx cache: restores the Nx cache (.nx/cache)']);
  });

  it.each(listWorkflowFiles(workspaceRoot))(
    'GIVEN %s WHEN its steps are read THEN none reuses Nx task results from elsewhere',
    (file) => {
      // GIVEN the committed workflow
      const workflow = readWorkflow(workspaceRoot, file);
      // WHEN every job's steps are checked
      const found = Object.values(workflow.jobs).flatMap((job) =>
        findNxCacheReuse(file, job.steps ?? []),
      );
      // THEN nothing restores or fetches cached task results
      expect(found).toEqual([]);
    },
  );
});
