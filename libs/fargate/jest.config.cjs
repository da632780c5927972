module.exports = {
  displayName: 'fargate',
  preset: '../../jest.preset.js',
};
