/**
 * The eCitizen dataset the importer reads, and the attribution its licence (CC BY 4.0)
 * requires: every page that shows imported rows (origin 'ecitizen') credits it.
 */
export const catalogueSource = Object.freeze({
  title: 'Kenya eCitizen Services Dataset',
  author: 'karaalv',
  url: 'https://github.com/karaalv/kenya-ecitizen-services-dataset',
  licence: 'CC BY 4.0',
  licenceUrl: 'https://creativecommons.org/licenses/by/4.0/',
  /** The dataset is an unofficial compilation; official sources prevail. */
  official: false,
});

export type CatalogueSource = typeof catalogueSource;
