/* Replaces the theme's 1.5 MB FontAwesome bundle (every solid, regular and brand icon as SVG, 0.54 MB
   gzipped on every page). The theme's stylesheet already ships FontAwesome's web fonts and classes,
   so the header's icons (<i class="fa-...">) render from the font without this script; the bundle is
   only needed to register custom SVG icons, which this book does not use. Sphinx copies the book's
   _static after the theme's, so this file takes the bundle's place. */
