import { FakeApi } from '../fake-api';
import { describeApiScenarios, GOOD, HOSTILE, NO_METADATA } from './api-scenarios';

describeApiScenarios('the renderer tests’ fake API', async () => {
  const api = new FakeApi();
  // The fake reads no bytes: it is told what the fixtures hold (what the real store reads from them).
  api.archiveFor(GOOD.file, { name: GOOD.name, cpu: GOOD.cpu });
  api.archiveFor(HOSTILE.file, { name: HOSTILE.name }, {
    importError: { code: 'invalid_archive', message: 'invalid snapshot archive: entry "../../escape.txt" is not a plain file name' },
  });
  api.archiveFor(NO_METADATA.file, { name: '' }, { error: { code: 'invalid_archive', message: 'invalid snapshot archive: the first entry is not snapshot.json' } });
  let folders = 0;
  return {
    api,
    finish: async (task) => api.finish(task.id),
    answerSave: (answer) => {
      api.saveAnswer = answer;
    },
    answerFolder: (answer) => {
      api.folderAnswer = answer === 'cancel' ? null : `/srv/chosen-store-${++folders}`;
      return api.folderAnswer;
    },
    close: async () => undefined,
  };
});
