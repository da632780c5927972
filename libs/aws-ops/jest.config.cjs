module.exports = {
  displayName: 'aws-ops',
  preset: '../../jest.preset.js',
};
