/** The console's URLs, in one place. Image names keep their `/` as path separators. */
const seg = (value: string) => encodeURIComponent(value);
const imagePath = (name: string) => name.split('/').map(seg).join('/');

export const paths = {
  login: '/login',
  repositories: '/repositories',
  repository: (repository: string) => `/repositories/${seg(repository)}`,
  repositoryUsers: (repository: string) => `/repositories/${seg(repository)}/users`,
  image: (repository: string, image: string) => `/repositories/${seg(repository)}/images/${imagePath(image)}`,
};
