export default {
  title: "crypto-venue-entropy",
  root: "src",
  pages: []
};
