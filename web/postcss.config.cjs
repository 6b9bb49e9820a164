// Mantine's PostCSS preset (mixins such as `@mixin smaller-than`, rem() and light/dark helpers).
module.exports = {
  plugins: {
    'postcss-preset-mantine': {},
  },
};
