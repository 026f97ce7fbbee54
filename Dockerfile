# ClinicTracker API container: build with the .NET SDK image, run on the ASP.NET Core runtime image.
#   docker compose up -d --build                             PostgreSQL, two API instances behind nginx
#   docker compose -f docker-compose.sqlite.yml up -d --build  one instance on SQLite
# (see docs/operations.md, "Containers" and "Running two or more instances")

# ---- build ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project files only, so this layer is reused until a project file or a
# package version changes. Only the API and what it references (Core, both migrations projects) are
# restored: restoring the .sln would need every test and bench project copied here as well.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ClinicTracker.Core/ClinicTracker.Core.csproj src/ClinicTracker.Core/
COPY src/ClinicTracker.Api/ClinicTracker.Api.csproj src/ClinicTracker.Api/
COPY migrations/ClinicTracker.Migrations.Sqlite/ClinicTracker.Migrations.Sqlite.csproj migrations/ClinicTracker.Migrations.Sqlite/
COPY migrations/ClinicTracker.Migrations.Postgres/ClinicTracker.Migrations.Postgres.csproj migrations/ClinicTracker.Migrations.Postgres/
RUN dotnet restore src/ClinicTracker.Api/ClinicTracker.Api.csproj

COPY . .
RUN dotnet publish src/ClinicTracker.Api -c Release --no-restore -o /app/publish

# ---- runtime ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app

# On SQLite (the default) the database lives on a volume at /data, owned by the non-root user the API
# runs as. ($APP_UID is set by the base image.) A new named volume takes this owner from the image.
# On PostgreSQL (Database__Provider=postgres, ConnectionStrings__Clinic) /data stays unused.
RUN mkdir -p /data && chown "$APP_UID" /data

COPY --from=build /app/publish .

ENV ASPNETCORE_HTTP_PORTS=8080 \
    Database__DataDirectory=/data
VOLUME /data
EXPOSE 8080
USER $APP_UID

# No HEALTHCHECK: the runtime image has no curl or wget. Probe GET /health/ready from outside
# (orchestrator, load balancer); see docs/operations.md.
# The `migrate` argument applies pending migrations and exits: the `migrate` service of docker-compose.yml,
# or `docker compose -f docker-compose.sqlite.yml run --rm api migrate`.
ENTRYPOINT ["dotnet", "ClinicTracker.Api.dll"]
