module.exports = {
  displayName: 'shared',
  preset: '../../jest.preset.js',
};
