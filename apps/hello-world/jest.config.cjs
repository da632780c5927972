module.exports = {
  displayName: 'hello-world',
  preset: '../../jest.preset.js',
};
