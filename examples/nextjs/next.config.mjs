// The portal's front end on Vitarec. VITAREC_URL (read at run time by the route handlers) is
// where the Vitarec service is; nothing else is configured at build time.
/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // No ESLint in this example's dependencies; `next build` still type-checks.
  eslint: { ignoreDuringBuilds: true },
  async headers() {
    return [{ source: '/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] }];
  },
};

export default nextConfig;
