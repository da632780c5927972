module.exports = {
  displayName: 'dns-updater',
  preset: '../../jest.preset.js',
};
